"""tastebud's LangChain tools, for its own agent or any other LangChain app.

Example::

    from tastebud.services import Services
    from tastebud.tools import UserContext, get_tools
    tools = get_tools(Services())
    agent = create_agent(my_model, tools, context_schema=UserContext)
    agent.invoke({"messages": [...]}, context=UserContext(user_id="alice"))
"""

from __future__ import annotations

from .context import UserContext, user_id_from
from .toolkit import PROFILE_ACTIONS, Toolkit

__all__ = ["get_tools", "Toolkit", "UserContext", "user_id_from", "PROFILE_ACTIONS"]


def get_tools(services, catalog: str | None = None, *, toolkit: Toolkit | None = None):
    """The tastebud tools (``recommend``, ``search_catalog``, ``similar_items``, ``item_details``,
    ``explain_item``, ``update_profile``, ``read_profile``) over one catalog.

    Args:
        services: A :class:`tastebud.services.Services`.
        catalog: Catalog name (default: the services' catalog).
        toolkit: Use this toolkit instead of building one.
    """
    from .lc import make_tools

    return make_tools(toolkit or Toolkit(services, catalog))
