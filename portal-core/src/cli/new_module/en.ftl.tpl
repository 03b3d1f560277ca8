# Module {name}.
{name}-nav = {Name}
{name}-title = {Name}
{name}-none = There is nothing to show yet.
{name}-permission-view = See {name}
