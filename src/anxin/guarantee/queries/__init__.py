"""Reads of the price guarantee for pages, the API and ops, one module per part (as `services`)."""
