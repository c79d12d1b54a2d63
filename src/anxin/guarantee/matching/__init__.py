"""The product matcher: is a competitor's listing the same product as our SKU (RULES §6 "same product")?

Pure Python, no Django: `decision.decide(sku, listing)` returns the probability, the readable reasons and the outcome
(same / different / needs a person) with the model shipped in this package.
"""
