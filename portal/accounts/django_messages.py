"""Django's own messages that the account pages show and Django's Kazakh catalogue leaves untranslated.

Marking them here makes `makemessages` keep them in portal/locale, whose translations Django
prefers to its own (LOCALE_PATHS come first). The msgids must stay exactly as Django writes them.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

PASSWORD_MESSAGES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_lazy("The password is too similar to the %(verbose_name)s."),
    gettext_lazy("Your password can’t be too similar to your other personal information."),
    gettext_lazy("This password is too common."),
    gettext_lazy("Your password can’t be a commonly used password."),
    gettext_lazy("This password is entirely numeric."),
    gettext_lazy("Your password can’t be entirely numeric."),
    gettext_lazy("email address"),
)

# SetPasswordForm's, on the page a password reset link opens.
SET_PASSWORD_MESSAGES = (
    gettext_lazy("Enter the same password as before, for verification."),
    gettext_lazy("The two password fields didn’t match."),
)
