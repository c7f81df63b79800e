"""Refused admin input (a calendar override, a rule value), naming the item it is about."""


class DeadlineInputError(ValueError):
    """`field` names the item (day_date, kind, notice, days, basis ...); `message` says why, in Vietnamese."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message
