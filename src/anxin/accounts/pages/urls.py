"""The account pages' URLs: log-in, log-out, sign-up (its code, terms and privacy notice) and the buyer's
addresses."""

from django.urls import path

from anxin.accounts.pages import buyer

urlpatterns = [
    path("login/", buyer.AnxinLoginView.as_view(), name="login"),
    path("logout/", buyer.AnxinLogoutView.as_view(), name="logout"),
    path("signup/", buyer.signup, name="signup"),
    path("signup/code/", buyer.signup_code, name="signup_code"),
    path("terms/", buyer.terms, name="terms"),
    path("privacy/", buyer.privacy, name="privacy"),
    path("addresses/", buyer.address_list, name="address_list"),
    path("addresses/new/", buyer.address_new, name="address_new"),
    path("addresses/<int:address_id>/edit/", buyer.address_edit, name="address_edit"),
    path("addresses/<int:address_id>/delete/", buyer.address_delete, name="address_delete"),
    path("addresses/regions/", buyer.region_selects, name="region_selects"),
]
