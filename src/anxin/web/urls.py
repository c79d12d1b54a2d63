"""Every app's pages under one namespace, `web`, so url names (`web:order_detail`) stay as they always were
wherever a page lives."""

from anxin.accounts.pages import urls as accounts
from anxin.aftersales.pages import urls as aftersales
from anxin.catalog.pages import urls as catalog
from anxin.checkout.pages import urls as checkout
from anxin.coupons.pages import urls as coupons
from anxin.fulfilment.pages import urls as fulfilment
from anxin.guarantee.pages import urls as guarantee
from anxin.orders.pages import urls as orders
from anxin.shipping.pages import urls as shipping

app_name = "web"
urlpatterns = [
    *accounts.urlpatterns,
    *catalog.urlpatterns,
    *checkout.urlpatterns,
    *coupons.urlpatterns,
    *orders.urlpatterns,
    *shipping.urlpatterns,
    *fulfilment.urlpatterns,
    *aftersales.urlpatterns,
    *guarantee.urlpatterns,
]
