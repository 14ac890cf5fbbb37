from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import devices
from accounts.forms import DeleteAccountForm, LoginForm, ProfileForm, SignupForm


class LoginView(auth_views.LoginView):
    """Django's login page; the browser it succeeds in is known to the account from
    then on, so strangers' failed logins cannot pause it (accounts/login_limits.py)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        devices.remember(self.request, response, form.get_user())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page. A new password makes every browser a stranger to the account
    (accounts/devices.py), except this one, which knows the new password."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        devices.remember(self.request, response, form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page; the browser that sets the new password knows it."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        devices.remember(self.request, response, form.user)
        return response


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("galleries:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Proofsheet! Your account is ready.")
            response = redirect("galleries:dashboard")
            devices.remember(request, response, user)
            return response
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and form.save():
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and form.save():
        logout(request)
        messages.success(
            request, "Your account and everything in it have been deleted."
        )
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
