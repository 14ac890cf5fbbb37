from django.dispatch import Signal

# Sent after a user's new password is saved, whichever door set it (the password
# change and reset pages, the API, the admin, a shell): args `user`.
password_changed = Signal()
