// A small rich-text editor for page messages: bold, italic, underline,
// strike-through, lists, a colour and links, i.e. what the server's
// sanitiser keeps. It edits a contenteditable copy of each
// textarea[data-richtext] and writes the HTML back into the textarea, so
// the form sends the same field as without JavaScript (then the textarea
// takes the HTML as typed, with the same result after sanitising).
(function () {
  var labels = document.getElementById("richtext-labels");
  if (!labels || !document.execCommand) return;
  var L = labels.dataset;
  document.querySelectorAll("textarea[data-richtext]").forEach(function (area) {
    var wrap = document.createElement("div");
    wrap.className = "richtext";
    var bar = document.createElement("div");
    bar.className = "richtext__toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", L.toolbar);
    var editor = document.createElement("div");
    editor.className = "richtext__editor field__input";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = document.querySelector("label[for='" + area.id + "']");
    if (label) {
      label.id = label.id || area.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
    }
    if (area.getAttribute("aria-describedby")) {
      editor.setAttribute("aria-describedby", area.getAttribute("aria-describedby"));
    }
    editor.innerHTML = area.value;
    var warn = document.createElement("p");
    warn.className = "field__help richtext__long";
    warn.setAttribute("aria-live", "polite");
    var sync = function () {
      area.value = editor.innerHTML;
      var long = editor.textContent.length > Number(area.dataset.long || 400);
      warn.textContent = long ? L.long : "";
    };
    [
      ["bold", "B", L.bold],
      ["italic", "I", L.italic],
      ["underline", "U", L.underline],
      ["strikeThrough", "S", L.strike],
      ["insertUnorderedList", "•", L.list],
      ["insertOrderedList", "1.", L.numbered],
      ["createLink", "link", L.link],
      ["foreColor", "A", L.colour]
    ].forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button--small richtext__button";
      // The glyph is what one sees, the name is what is read out (and in it).
      var glyph = document.createElement("span");
      glyph.setAttribute("aria-hidden", "true");
      glyph.textContent = c[1];
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = c[2];
      b.appendChild(glyph);
      b.appendChild(name);
      b.title = c[2];
      b.addEventListener("click", function () {
        editor.focus();
        var value = null;
        if (c[0] === "createLink") {
          value = window.prompt(L.linkPrompt, "https://");
          if (!value) return;
        }
        // A colour as <span style="color">, which the sanitiser keeps.
        document.execCommand("styleWithCSS", false, c[0] === "foreColor");
        if (c[0] === "foreColor") value = "#b3261e";
        document.execCommand(c[0], false, value);
        sync();
      });
      bar.appendChild(b);
    });
    editor.addEventListener("input", sync);
    area.form.addEventListener("submit", sync);
    area.hidden = true;
    area.parentNode.insertBefore(wrap, area);
    wrap.appendChild(bar);
    wrap.appendChild(editor);
    wrap.appendChild(warn);
    wrap.appendChild(area);
  });
})();
