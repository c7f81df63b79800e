"""Bringing existing registers into caseflow: read a spreadsheet, map its columns, dry-run, commit."""
