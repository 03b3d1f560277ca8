-- A page message's English text beside its Dutch one (seed 004: a text per
-- language); empty shows the other language's text.
ALTER TABLE core_page_messages ADD COLUMN body_html_en TEXT NOT NULL DEFAULT '';
