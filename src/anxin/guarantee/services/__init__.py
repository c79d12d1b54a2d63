"""State changes of the price guarantee, one module per part: enrollment and campaigns, the price feed, claims,
price protection (价保). Each is the only code that changes its models."""
