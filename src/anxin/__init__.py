"""Anxin (安心): a marketplace platform in which every service promise is enforced, paid and measured."""
