"""Statutory deadlines on the Vietnamese working-day calendar: calendar, rules, service, sweep."""
