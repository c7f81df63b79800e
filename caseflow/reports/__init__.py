"""Reports: the legal-aid representation share against its targets, the centre's other figures, exports."""
