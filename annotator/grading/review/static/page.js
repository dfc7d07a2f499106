(function () {
  'use strict';
  function host(b) {
    return b.closest('p,h1,h2,h3,h4,h5,h6,.unplaced') || null;
  }
  function toggle(b, show) {
    var id = 'p-' + b.id, p = document.getElementById(id);
    if (!p) {
      var t = document.getElementById('t-' + b.getAttribute('data-src'));
      if (!t) return;
      p = t.content.firstElementChild.cloneNode(true);
      p.id = id;
      p.hidden = true;
      var h = host(b);
      if (h) {
        var r = h;
        while (r.nextElementSibling && r.nextElementSibling.classList.contains('panel')) r = r.nextElementSibling;
        r.after(p);
      } else {
        (b.closest('td,th,li,blockquote') || b.parentNode).appendChild(p);
      }
      b.setAttribute('aria-controls', id);
    }
    var open = show === undefined ? p.hidden : show;
    p.hidden = !open;
    b.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest('button.cite');
    if (b) toggle(b);
    var all = e.target.closest('button.all');
    if (all) {
      var show = all.getAttribute('data-open') === '1';
      document.querySelectorAll('button.cite').forEach(function (c) {
        if (c.getAttribute('aria-expanded') !== (show ? 'true' : 'false')) toggle(c, show);
      });
    }
  });
  function jump() {
    var h = location.hash.slice(1), el;
    try { el = h && document.getElementById(decodeURIComponent(h)); } catch (err) { return; }
    if (!el) return;
    if (el.matches('button.cite')) toggle(el, true);
    if (!el.hasAttribute('tabindex') && !el.matches('a,button')) el.setAttribute('tabindex', '-1');
    el.focus();
  }
  window.addEventListener('hashchange', jump);
  if (location.hash) jump();
})();
