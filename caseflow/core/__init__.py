"""What every feature uses and that imports no feature: the engine, the shared models (org, case, party,
audit, sequence, attachment), the access policy, i18n, text, the clock and the signals."""
