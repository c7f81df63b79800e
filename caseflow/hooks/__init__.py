"""Guards, effects and validators of each feature; every module here is imported at start-up."""
