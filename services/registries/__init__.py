"""Simulated state registries: population, criminal records, real estate, entrepreneurs, vehicles.

They are the edge of the world. In production each would be a call to a state database; here every
valid key (an IIN, a VIN) yields a consistent record computed from the key and `REGISTRY_SEED`, so
nothing is stored and the same key always gives the same answer. `demo` pins a few known people.
"""
