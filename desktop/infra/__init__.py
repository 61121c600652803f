"""Qt-free plumbing: data paths, this PC's configuration, safe file writing, attachments,
opening the database (SQLite or PostgreSQL), moving an office's data, redaction of passwords,
the start-up's logging and arguments."""

# The program's folder name (data, configuration, logs): one name for every module here.
APP_NAME = "TheoDoiNhiemVu"
