# Module {name} (formal "u", as core's pages).
{name}-nav = {Name}
{name}-title = {Name}
{name}-none = Er is nog niets om te tonen.
{name}-permission-view = {Name} bekijken
