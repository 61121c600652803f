"""Qt-free domain: status rules, statistics, working-day calendar, recurrence."""
