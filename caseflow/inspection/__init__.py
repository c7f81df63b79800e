"""The inspection committee's services: protected identities, duplicates, conflicts of interest, statistics."""
