"""Long work as jobs outside the request: a row per job on the database, run by ``renaksi worker``."""
