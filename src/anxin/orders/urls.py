from django.urls import path

from anxin.orders import views

app_name = "orders"
urlpatterns = [
    path("pay/sim/<int:payment_id>/", views.sim_pay, name="sim_pay"),
]
