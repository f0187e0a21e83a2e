from junheng.core.resources import REGISTRY
from junheng.core.views import resource_urls

app_name = "programmes"
urlpatterns = resource_urls(REGISTRY["pairings"])
