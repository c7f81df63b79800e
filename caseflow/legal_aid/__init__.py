"""Legal-aid rules that are not workflow steps: limitation-period warnings and the conflict check."""
