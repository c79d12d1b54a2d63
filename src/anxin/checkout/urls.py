from django.urls import path

from anxin.checkout import views

app_name = "checkout"
urlpatterns = [
    path("pay/sim/<int:payment_id>/", views.sim_pay, name="sim_pay"),
]
