"""People and their roles in agencies: accounts, memberships, login security."""
