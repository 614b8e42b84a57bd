"""The routeboekje (which loket does what) and the routing advice built from it."""
