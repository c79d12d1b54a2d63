"""The courier dispatcher, its delivery-time promise, and the MDRP replay that measures both.

Pure Python (numpy and scipy allowed, Django never): the live service and the benchmark run the same code,
and every rule here can be tested in microseconds.
"""
