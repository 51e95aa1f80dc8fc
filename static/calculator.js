/*
 * calculator.js: the live score of the CVSS v3.1 calculator on a report page
 * (SPEC 2.3). The page works without it: the server scores the vector when the
 * form is sent. With it, every change asks the server's own calculator
 * (GET /api/v1/cvss) for the score, so there is one implementation of CVSS.
 */
(function () {
  'use strict';
  var form = document.getElementById('assessment');
  var out = document.getElementById('calc-score');
  if (!form || !out) return;
  var names = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'];

  function vector() {
    var typed = form.elements.vector && form.elements.vector.value.trim();
    if (typed) return typed;
    var parts = ['CVSS:3.1'];
    for (var i = 0; i < names.length; i++) {
      var checked = form.querySelector('input[name="m.' + names[i] + '"]:checked');
      if (!checked) return null;
      parts.push(names[i] + ':' + checked.value);
    }
    return parts.join('/');
  }

  function update() {
    var v = vector();
    if (!v) { out.textContent = '–'; return; }
    fetch('/api/v1/cvss?vector=' + encodeURIComponent(v), { headers: { Accept: 'application/json' } })
      .then(function (res) { return res.json(); })
      .then(function (body) {
        if (body.error) {
          var msg = body.fields && body.fields.vector ? body.fields.vector : body.error;
          out.textContent = msg;
        } else {
          out.textContent = body.base_score.toFixed(1) + ' (' + body.severity_label + ')';
        }
      })
      .catch(function () { out.textContent = '–'; });
  }

  form.addEventListener('change', update);
  form.addEventListener('input', function (e) { if (e.target.name === 'vector') update(); });
})();
