(function () {
  'use strict';
  var table = document.getElementById('subs');
  if (!table) return;
  var heads = table.querySelectorAll('thead th');
  function key(row, c) {
    var v = row.cells[c].getAttribute('data-v');
    return v === null ? row.cells[c].textContent : v;
  }
  table.querySelector('thead').addEventListener('click', function (e) {
    var b = e.target.closest('button');
    if (!b) return;
    var th = b.closest('th'), c = Array.prototype.indexOf.call(heads, th);
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    var num = th.getAttribute('data-type') === 'num';
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (x, y) {
      var a = key(x, c), z = key(y, c), d = num ? Number(a) - Number(z) : (a < z ? -1 : a > z ? 1 : 0);
      if (d === 0) d = Number(x.getAttribute('data-i')) - Number(y.getAttribute('data-i'));
      return asc ? d : -d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
  });
})();
