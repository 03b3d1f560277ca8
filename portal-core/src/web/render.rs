//! Rendering with minijinja and the theme lookup order: the tenant's theme,
//! then `default`, then the module's embedded template. Themes are embedded
//! in the binary; `web.themes_dir` overrides them from disk for theme
//! development (templates are then re-read on every render).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use minijinja::value::Kwargs;
use minijinja::{Environment, State, Value};
use sha2::{Digest, Sha256};

use super::i18n::{Texts, Voice};
use crate::module::Registry;
use crate::tenant::Lang;

static THEMES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../themes");

/// The theme every other theme falls back to.
pub const DEFAULT_THEME: &str = "default";

/// A static file with its cache-busting URL.
#[derive(Debug)]
pub struct StaticFile {
    pub bytes: &'static [u8],
    pub mime: &'static str,
}

/// Templates, static files and texts of every theme and module.
pub struct Renderer {
    envs: HashMap<String, Arc<Environment<'static>>>,
    /// (theme, path) -> URL, for the `static()` function.
    static_urls: Arc<HashMap<(String, String), String>>,
    /// URL -> file, for serving.
    static_files: HashMap<String, StaticFile>,
    texts: Arc<Texts>,
    module_templates: Arc<HashMap<&'static str, &'static str>>,
    dev_dir: Option<PathBuf>,
    themes: Vec<String>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("themes", &self.themes)
            .finish()
    }
}

fn mime_of(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// `css/portal.css` with hash `abc` becomes `css/portal.abc.css`.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let hash = hex::encode(&Sha256::digest(bytes)[..5]);
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("{stem}.{hash}.{ext}"),
        _ => format!("{path}.{hash}"),
    }
}

fn collect_files(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
    for f in dir.files() {
        out.push(f);
    }
    for d in dir.dirs() {
        collect_files(d, out);
    }
}

impl Renderer {
    /// Indexes the embedded themes and builds one template environment per theme.
    ///
    /// # Errors
    /// The texts do not load.
    pub fn new(registry: &Registry, dev_dir: Option<PathBuf>) -> anyhow::Result<Self> {
        let texts = Arc::new(Texts::new(registry)?);
        let module_templates: HashMap<&'static str, &'static str> = registry
            .iter()
            .flat_map(|m| m.templates().iter().map(|t| (t.name, t.source)))
            .collect();
        let themes: Vec<String> = THEMES
            .dirs()
            .filter(|d| {
                d.get_dir(d.path().join("templates")).is_some()
                    || d.get_dir(d.path().join("static")).is_some()
            })
            .filter_map(|d| {
                d.path()
                    .file_name()
                    .and_then(|n| n.to_str())
                    .map(str::to_string)
            })
            .collect();
        let mut static_urls = HashMap::new();
        let mut static_files = HashMap::new();
        for theme in &themes {
            let Some(dir) = THEMES.get_dir(format!("{theme}/static")) else {
                continue;
            };
            let mut files = Vec::new();
            collect_files(dir, &mut files);
            for f in files {
                let Ok(rel) = f.path().strip_prefix(format!("{theme}/static")) else {
                    continue;
                };
                let rel = rel.to_string_lossy().replace('\\', "/");
                let url = format!("/static/{theme}/{}", hashed_name(&rel, f.contents()));
                static_files.insert(
                    url.clone(),
                    StaticFile {
                        bytes: f.contents(),
                        mime: mime_of(&rel),
                    },
                );
                static_urls.insert((theme.clone(), rel), url);
            }
        }
        let mut renderer = Self {
            envs: HashMap::new(),
            static_urls: Arc::new(static_urls),
            static_files,
            texts,
            module_templates: Arc::new(module_templates),
            dev_dir,
            themes,
        };
        for theme in renderer.themes.clone() {
            let env = renderer.build_env(&theme);
            renderer.envs.insert(theme, Arc::new(env));
        }
        Ok(renderer)
    }

    pub fn themes(&self) -> &[String] {
        &self.themes
    }

    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// The texts, for code that keeps them (domain code's [`crate::deps::Deps`]).
    pub fn shared_texts(&self) -> Arc<Texts> {
        self.texts.clone()
    }

    pub fn static_file(&self, url: &str) -> Option<&StaticFile> {
        self.static_files.get(url)
    }

    /// Theme development (`web.themes_dir`): `/static/dev/<theme>/<path>`,
    /// read from the folder first, then from the embedded theme, unhashed.
    pub fn dev_static_file(&self, url: &str) -> Option<(Vec<u8>, &'static str)> {
        let dir = self.dev_dir.as_ref()?;
        let (theme, path) = url.strip_prefix("/static/dev/")?.split_once('/')?;
        if path.contains("..") || path.starts_with('/') || theme.contains("..") {
            return None;
        }
        let bytes = std::fs::read(dir.join(theme).join("static").join(path))
            .ok()
            .or_else(|| {
                THEMES
                    .get_file(format!("{theme}/static/{path}"))
                    .map(|f| f.contents().to_vec())
            })?;
        Some((bytes, mime_of(path)))
    }

    fn build_env(&self, theme: &str) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        let order: Vec<String> = if theme == DEFAULT_THEME {
            vec![DEFAULT_THEME.to_string()]
        } else {
            vec![theme.to_string(), DEFAULT_THEME.to_string()]
        };
        let modules = self.module_templates.clone();
        let dev_dir = self.dev_dir.clone();
        env.set_loader(move |name| {
            if name.contains("..") || name.starts_with('/') {
                return Ok(None);
            }
            for t in &order {
                if let Some(dir) = &dev_dir
                    && let Ok(text) =
                        std::fs::read_to_string(dir.join(t).join("templates").join(name))
                {
                    return Ok(Some(text));
                }
                if let Some(f) = THEMES.get_file(format!("{t}/templates/{name}"))
                    && let Some(text) = f.contents_utf8()
                {
                    return Ok(Some(text.to_string()));
                }
            }
            Ok(modules.get(name).map(|s| (*s).to_string()))
        });
        let texts = self.texts.clone();
        env.add_function(
            "t",
            move |state: &State, key: &str, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
                let lang = state
                    .lookup("lang")
                    .and_then(|v| v.as_str().and_then(Lang::parse))
                    .unwrap_or(Lang::Nl);
                let informal = state.lookup("informal").is_some_and(|v| v.is_true());
                translate(&texts, Voice { lang, informal }, key, &kwargs)
            },
        );
        let urls = self.static_urls.clone();
        let own_theme = theme.to_string();
        if let Some(dir) = self.dev_dir.clone() {
            env.add_function("static", move |path: &str| -> Value {
                let has = |t: &str| {
                    dir.join(t).join("static").join(path).is_file()
                        || THEMES.get_file(format!("{t}/static/{path}")).is_some()
                };
                let theme = if has(&own_theme) {
                    own_theme.as_str()
                } else {
                    DEFAULT_THEME
                };
                let path: String = path
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || "/._-".contains(*c))
                    .collect();
                Value::from_safe_string(format!("/static/dev/{theme}/{path}"))
            });
            return env;
        }
        env.add_function("static", move |path: &str| -> Value {
            let url = urls
                .get(&(own_theme.clone(), path.to_string()))
                .or_else(|| urls.get(&(DEFAULT_THEME.to_string(), path.to_string())))
                .cloned()
                .unwrap_or_else(|| {
                    format!(
                        "/static/missing/{}",
                        path.replace(['"', '<', '>', '&', '\'', ' '], "")
                    )
                });
            // Built from our own file names only: safe in an attribute as is.
            Value::from_safe_string(url)
        });
        env
    }

    /// Renders `name` in `theme` (unknown themes fall back to `default`).
    ///
    /// # Errors
    /// A template is missing or fails; the error names it (log it, do not show it).
    pub fn render(&self, theme: &str, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        let theme = if self.envs.contains_key(theme) {
            theme
        } else {
            DEFAULT_THEME
        };
        if self.dev_dir.is_some() {
            // Theme development: a fresh environment re-reads the files.
            return render_sized(&self.build_env(theme).get_template(name)?, ctx);
        }
        match self.envs.get(theme) {
            Some(env) => render_sized(&env.get_template(name)?, ctx),
            None => Err(minijinja::Error::new(
                minijinja::ErrorKind::TemplateNotFound,
                "no default theme",
            )),
        }
    }
}

/// Room for a whole page from the start: minijinja sizes its output at
/// twice the template's own text, so a list page of ~22 KB grew through
/// three reallocations (each a copy, and each a large allocation that
/// makes glibc consolidate its small free chunks).
const PAGE_CAPACITY: usize = 32 * 1024;

fn render_sized(
    template: &minijinja::Template<'_, '_>,
    ctx: Value,
) -> Result<String, minijinja::Error> {
    let mut out = Vec::with_capacity(PAGE_CAPACITY);
    template.render_captured_to(ctx, &mut out)?;
    // minijinja writes only `str`s, so this holds; checked all the same.
    String::from_utf8(out).map_err(|e| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "output is not UTF-8",
        )
        .with_source(e)
    })
}

/// `t(key, **args)`: the text of `key` in `voice`, with its arguments.
/// Argument-free texts and texts with only string arguments come from
/// what [`Texts`] prepared at start-up; the rest from Fluent.
fn translate(
    texts: &Texts,
    voice: Voice,
    key: &str,
    kwargs: &Kwargs,
) -> Result<Value, minijinja::Error> {
    if kwargs.args().next().is_none()
        && let Some(text) = texts.plain(voice, key)
    {
        return Ok(Value::from(text));
    }
    // String arguments only: the pieces split at start-up.
    let mut strings: Vec<(&str, String)> = Vec::new();
    for k in kwargs.args() {
        let v: Value = kwargs.get(k)?;
        if v.kind() == minijinja::value::ValueKind::Number {
            strings.clear();
            break;
        }
        strings.push((k, v.to_string()));
    }
    if !strings.is_empty() {
        let refs: Vec<(&str, &str)> = strings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        if let Some(text) = texts.get_split(voice, key, &refs) {
            return Ok(Value::from(text));
        }
    }
    let mut args = poem::i18n::I18NArgs::default();
    for k in kwargs.args() {
        let v: Value = kwargs.get(k)?;
        // Numbers stay numbers, so Fluent picks the plural form (`[one]`
        // for 1) instead of the default.
        args = match i64::try_from(v.clone()) {
            Ok(n) if v.kind() == minijinja::value::ValueKind::Number => args.set(k.to_string(), n),
            _ => args.set(k.to_string(), v.to_string()),
        };
    }
    Ok(Value::from(texts.get_with(voice, key, args)))
}

/// `t` bound to one voice, for a page's context: it shadows the
/// environment's `t`, which looks up `lang` and `informal` in the context
/// on every call (a list page makes about a hundred).
#[derive(Debug)]
pub struct Translator {
    texts: Arc<Texts>,
    voice: Voice,
}

impl Translator {
    pub fn new(texts: Arc<Texts>, voice: Voice) -> Self {
        Self { texts, voice }
    }
}

impl minijinja::value::Object for Translator {
    fn call(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        args: &[Value],
    ) -> Result<Value, minijinja::Error> {
        // Most calls are `t("key")` of a text formatted at start-up: no
        // argument parsing for those (a page makes dozens).
        if let [key] = args
            && let Some(text) = key.as_str().and_then(|k| self.texts.plain(self.voice, k))
        {
            return Ok(Value::from(text));
        }
        let (key, kwargs): (&str, Kwargs) = minijinja::value::from_args(args)?;
        let text = translate(&self.texts, self.voice, key, &kwargs)?;
        kwargs.assert_all_used()?;
        Ok(text)
    }
}

/// Puts the error summary's entries in the order their fields stand in
/// the form (GOV.UK's pattern: the summary reads like the form). Handlers
/// collect errors by field name, so the template gets them sorted by name;
/// the page knows the order. Each entry links to `#field-<name>`; an
/// entry whose field is not on the page goes last.
pub fn errors_in_form_order(html: String) -> String {
    const LIST: &str = "<ul class=\"error-summary__list\">";
    // Every page passes here and most have no summary: a vectorised search
    // (`str::find` over a 26 KB list page was 1 % of its CPU).
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(LIST));
    let Some(start) = FINDER.find(html.as_bytes()).map(|i| i + LIST.len()) else {
        return html;
    };
    let Some(len) = html[start..].find("</ul>") else {
        return html;
    };
    let end = start + len;
    let items: Vec<&str> = html[start..end]
        .split("<li>")
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    let position = |item: &str| {
        item.split_once("href=\"#")
            .and_then(|(_, r)| r.split_once('"'))
            .and_then(|(id, _)| html.find(&format!("id=\"{id}\"")))
            .unwrap_or(usize::MAX)
    };
    let mut sorted: Vec<(usize, &str)> = items.iter().map(|i| (position(i), *i)).collect();
    sorted.sort_by_key(|(p, _)| *p);
    let list: String = sorted
        .iter()
        .map(|(_, i)| format!("\n    <li>{i}"))
        .collect();
    format!("{}{list}\n  {}", &html[..start], &html[end..])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::errors_in_form_order;

    #[test]
    fn the_error_summary_follows_the_form() {
        let page = r##"<div class="error-summary"><ul class="error-summary__list">
    <li><a href="#field-email">E</a></li>
    <li><a href="#field-first_name">F</a></li>
    <li><a href="#field-gone">G</a></li>
    <li><a href="#field-last_name">L</a></li>
  </ul></div><form><input id="field-first_name"><input id="field-last_name"><input id="field-email"></form>"##;
        let out = errors_in_form_order(page.to_string());
        let order: Vec<usize> = [
            "#field-first_name",
            "#field-last_name",
            "#field-email",
            "#field-gone",
        ]
        .iter()
        .map(|h| out.find(h).unwrap_or(usize::MAX))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{out}");
        assert!(out.ends_with("</form>"));
        assert_eq!(
            errors_in_form_order("<p>no errors</p>".into()),
            "<p>no errors</p>"
        );
    }
}
