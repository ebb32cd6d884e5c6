/* bordermap interactive map: draws the layers of one dataset from the JSON block #bm-data.
 *
 * All decisions about what is visible and dashed in each (perspective, date) state are made in
 * Python (bordermap.maps.views) and arrive as a table; this script only applies them. Strings
 * from the data arrive already escaped for HTML (popups, tooltips, legend, layer names) or are
 * set with textContent; nothing is evaluated or interpolated into code.
 */
(function () {
  "use strict";

  function decodeArcs(topo) {
    var q = topo.q, x0 = topo.o[0], y0 = topo.o[1];
    return topo.arcs.map(function (flat) {
      var x = 0, y = 0, out = new Array(flat.length / 2);
      for (var i = 0; i < flat.length; i += 2) {
        x += flat[i];
        y += flat[i + 1];
        out[i / 2] = [y0 + y * q, x0 + x * q];
      }
      return out;
    });
  }

  function chain(arcs, refs) {
    var out = [];
    refs.forEach(function (ref, n) {
      var arc = ref >= 0 ? arcs[ref] : arcs[~ref].slice().reverse();
      for (var i = n === 0 ? 0 : 1; i < arc.length; i++) out.push(arc[i]);
    });
    return out;
  }

  function point(topo, c) {
    return [topo.o[1] + c[1] * topo.q, topo.o[0] + c[0] * topo.q];
  }

  function makeLayer(topo, arcs, geom, style) {
    if (geom.t === "P") return L.circleMarker(point(topo, geom.c), style);
    if (geom.t === "MP") return L.featureGroup(geom.c.map(function (c) { return L.circleMarker(point(topo, c), style); }));
    if (geom.t === "L") return L.polyline(geom.a.map(function (refs) { return chain(arcs, refs); }), style);
    if (geom.t === "A") {
      return L.polygon(geom.a.map(function (rings) {
        return rings.map(function (refs) { return chain(arcs, refs); });
      }), style);
    }
    return L.featureGroup(geom.g.map(function (part) { return makeLayer(topo, arcs, part, style); }));
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  window.bordermapInit = function (map, dataId) {
    var data = JSON.parse(document.getElementById(dataId).textContent);
    Object.keys(data.panes).forEach(function (name) { map.createPane(name).style.zIndex = data.panes[name]; });
    var arcs = decodeArcs(data.topo);
    var nDays = data.days.length;
    var state = {view: data.start.view, day: data.start.day};
    var groups = data.groups.map(function () { return L.featureGroup(); });
    var overlays = {};
    var items = [];

    data.features.forEach(function (f, i) {
      var geom = data.topo.geoms[i];
      if (!geom) return;
      var layer = makeLayer(data.topo, arcs, geom, Object.assign({}, f.s));
      var item = {f: f, layer: layer, group: groups[f.g], status: null};
      if (f.tip) layer.bindTooltip(f.tip, {sticky: true});
      layer.bindPopup(function () {
        var box = el("div");
        box.innerHTML = f.pop;
        box.querySelectorAll("i[data-s]").forEach(function (slot) { slot.outerHTML = data.snippets[+slot.getAttribute("data-s")]; });
        var line = box.querySelector(".bm-status");
        if (line && item.status) {
          line.textContent = "Status on " + data.days[state.day].d + " (" + data.views[state.view].label + " view): " + item.status;
        }
        return box;
      }, {maxWidth: 440, maxHeight: 420});
      layer.bmFeature = f.id;
      items.push(item);
    });

    function apply() {
      var offset = state.view * nDays + state.day;
      items.forEach(function (item) {
        var code = data.rows[item.f.r].charAt(offset);
        if (code === "-") {
          item.group.removeLayer(item.layer);
          item.status = null;
          return;
        }
        var status = data.statuses[parseInt(code, 36)];
        var grp = data.groups[item.f.g];
        var style = {};
        if (grp.dash) style.dashArray = grp.dash[status.name] || null;
        if (grp.byStatus) { style.color = status.fill; style.fillColor = status.fill; }
        item.layer.setStyle(style);
        item.status = status.name;
        item.group.addLayer(item.layer);
      });
      document.querySelectorAll(".bm-current-view").forEach(function (n) { n.textContent = data.views[state.view].label; });
      document.querySelectorAll(".bm-current-day").forEach(function (n) { n.textContent = data.days[state.day].d; });
      map.closePopup();
    }

    data.groups.forEach(function (g, i) {
      overlays[g.label] = groups[i];
      if (g.on) groups[i].addTo(map);
    });
    L.control.layers(null, overlays, {collapsed: false, position: "topright"}).addTo(map);

    var Panel = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = el("div", "bm-panel leaflet-bar");
        var views = el("fieldset", "bm-views");
        views.appendChild(el("legend", null, "Perspective"));
        data.views.forEach(function (v, i) {
          var label = el("label");
          var input = el("input");
          input.type = "radio";
          input.name = "bm-view";
          input.value = v.id;
          input.checked = i === state.view;
          input.addEventListener("change", function () { state.view = i; apply(); });
          label.appendChild(input);
          label.appendChild(document.createTextNode(" " + v.label));
          label.title = v.help;
          views.appendChild(label);
        });
        box.appendChild(views);
        var time = el("fieldset", "bm-time");
        time.appendChild(el("legend", null, "As of"));
        var slider = el("input");
        slider.type = "range";
        slider.min = 0;
        slider.max = nDays - 1;
        slider.value = state.day;
        slider.className = "bm-day";
        var shown = el("output", "bm-current-day");
        var why = el("div", "bm-why");
        function onDay() {
          state.day = +slider.value;
          why.textContent = data.days[state.day].why;
          apply();
        }
        slider.addEventListener("input", onDay);
        time.appendChild(slider);
        time.appendChild(shown);
        time.appendChild(why);
        why.textContent = data.days[state.day].why;
        box.appendChild(time);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Panel().addTo(map);

    var Legend = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        var box = el("div", "bm-legend");
        box.innerHTML = data.legend;
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Legend().addTo(map);
    apply();
    window.bordermap = {map: map, state: state, apply: apply, items: items, groups: groups};
  };
})();
