{% extends "layout.html" %}

{% block title %}{{ t("{name}-title") }}{% endblock %}

{% block content %}
<h1 class="page-title">{{ t("{name}-title") }}</h1>
{%- if items %}
<ul class="{name}-list" id="{name}-list">
  {%- for i in items %}
  <li>{{ i.title }}</li>
  {%- endfor %}
</ul>
{%- else %}
<p id="{name}-none">{{ t("{name}-none") }}</p>
{%- endif %}
{% endblock %}
