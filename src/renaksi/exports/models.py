"""Exports keep no rows of their own: a roll-up or a big plan's file is a job (renaksi.jobs.Job)."""
