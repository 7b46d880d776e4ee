"""Accounts pages, under /accounts/. The names are Django's usual ones, so its auth views find each other."""

from django.urls import path

from portal.accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/code/", views.signup_code, name="signup_code"),
    path("signup/code/new/", views.signup_code_resend, name="signup_code_resend"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/consents/", views.profile_consent_give, name="profile_consent_give"),
    path("profile/consents/<int:consent_id>/revoke/", views.profile_consent_revoke, name="profile_consent_revoke"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
