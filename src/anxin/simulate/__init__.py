"""Simulation above every domain: the demo marketplace behind `anxin demo` (plain data tables in `data.py`,
the builder in `build.py`), built through the domains' own services so it obeys every rule."""
