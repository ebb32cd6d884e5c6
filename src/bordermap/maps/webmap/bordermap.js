/* bordermap interactive map: draws the layers of one dataset from the JSON block #bm-data.
 *
 * All decisions about what is visible and dashed in each (perspective, date) state are made in
 * Python (bordermap.maps.views) and arrive as a table; this script only applies them. Strings
 * from the data arrive already escaped for HTML (popups, tooltips, legend, layer names) or are
 * set with textContent; nothing is evaluated or interpolated into code. Interface strings come
 * translated in data.i18n (from the message catalogues).
 *
 * The page: a side panel (perspective, date and play, layers, sections with search, compare,
 * legend) that folds away, and on a narrow screen opens over the map from the bottom; permanent
 * labels placed without overlap at every zoom; the view kept in the URL fragment
 * (#view=…&day=…&z=…&c=lat,lon&layers=…&sel=…&cmp=a,b,x&embed) and restored from it.
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

  function button(className, text, title) {
    var b = el("button", className, text);
    b.type = "button";
    if (title) { b.title = title; b.setAttribute("aria-label", title); }
    return b;
  }

  function section(parent, title, open, className) {
    var box = el("details", "bm-box " + (className || ""));
    box.open = open;
    box.appendChild(el("summary", null, title));
    parent.appendChild(box);
    return box;
  }

  function readHash() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf("=");
      var key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      out[key] = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
    });
    return out;
  }

  window.bordermapInit = function (map, dataId) {
    var data = JSON.parse(document.getElementById(dataId).textContent);
    var T = function (key, values) {
      var text = data.i18n[key] || key;
      Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
      return text;
    };
    var body = document.body;
    document.documentElement.lang = data.lang;
    var hash = readHash();
    var embed = data.embed || "embed" in hash;
    if (embed) body.classList.add("bm-embed");
    if (embed || window.innerWidth < 700) body.classList.add("bm-side-hidden");
    map.options.zoomSnap = 0.25;
    // Leaflet 1.9's default credit carries a national flag; a map of a border dispute carries none.
    if (map.attributionControl) map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

    Object.keys(data.panes).forEach(function (name) { map.createPane(name).style.zIndex = data.panes[name]; });
    ["bm-cmp-a", "bm-cmp-b"].forEach(function (name) { map.createPane(name).style.zIndex = 425; });
    map.createPane("bm-labels").style.zIndex = 645;
    map.getPane("bm-labels").style.pointerEvents = "none";

    var arcs = decodeArcs(data.topo);
    var nDays = data.days.length;
    var state = {view: data.start.view, day: data.start.day, sel: null, cmp: null};
    var groups = data.groups.map(function () { return L.featureGroup(); });
    var items = [];
    var byIndex = {};
    var restoring = false;

    data.features.forEach(function (f, i) {
      var geom = data.topo.geoms[i];
      if (!geom) return;
      var layer = makeLayer(data.topo, arcs, geom, Object.assign({}, f.s));
      var item = {f: f, i: i, geom: geom, layer: layer, group: groups[f.g], status: null};
      if (f.tip) layer.bindTooltip(f.tip, {sticky: true});
      layer.bindPopup(function () {
        var box = el("div");
        box.innerHTML = f.pop;
        box.querySelectorAll("i[data-s]").forEach(function (slot) { slot.outerHTML = data.snippets[+slot.getAttribute("data-s")]; });
        var line = box.querySelector(".bm-status");
        if (line && item.status) {
          line.textContent = T("Status on {day} ({view}): {status}", {
            day: data.days[state.day].t, view: data.views[state.view].label,
            status: data.statusNames[item.status] || item.status
          });
        }
        return box;
      }, {maxWidth: 440, maxHeight: 420, autoPanPaddingTopLeft: [10, 60]});
      layer.bmFeature = f.id;
      layer.on("popupopen", function () { state.sel = f.id; writeHash(); });
      layer.on("popupclose", function () { if (state.sel === f.id) { state.sel = null; writeHash(); } });
      items.push(item);
      byIndex[i] = item;
    });

    function shown(i) {
      var item = byIndex[i];
      return !!item && item.group.hasLayer(item.layer) && map.hasLayer(item.group);
    }

    /* ---- labels: placed in priority order, a label that would overlap one placed before it is hidden */
    var labels = data.labels.map(function (l) {
      var marker = L.marker(l.p, {
        pane: "bm-labels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "bm-label bm-label-" + l.k, html: "", iconSize: null})
      }).addTo(map);
      var span = el("span", null, l.t);
      marker.getElement().appendChild(span);
      return {l: l, marker: marker, span: span, on: false};
    });

    function placeLabels() {
      var box = map.getContainer().getBoundingClientRect();
      var placed = [];
      labels.forEach(function (lab) {
        var node = lab.marker.getElement();
        var wanted = lab.l.f === null || shown(lab.l.f);
        node.style.visibility = "hidden";
        lab.on = false;
        if (!wanted) return;
        var r = lab.span.getBoundingClientRect();
        var inside = r.left >= box.left + 2 && r.right <= box.right - 2 && r.top >= box.top + 2 && r.bottom <= box.bottom - 2;
        if (!inside || r.width === 0) return;
        var clash = placed.some(function (p) {
          return r.left < p.right + 3 && r.right > p.left - 3 && r.top < p.bottom + 1 && r.bottom > p.top - 1;
        });
        if (clash) return;
        placed.push(r);
        node.style.visibility = "visible";
        lab.on = true;
      });
    }

    /* ---- the (perspective, date) state */
    function apply() {
      var offset = state.view * nDays + state.day;
      items.forEach(function (item) {
        var code = data.rows[item.f.r].charAt(offset);
        if (code === "-") {
          item.group.removeLayer(item.layer);
          item.status = null;
          return;
        }
        var status = data.statuses[data.codes.indexOf(code)];
        var grp = data.groups[item.f.g];
        var style = {};
        if (grp.dash) style.dashArray = grp.dash[status.dash] || null;
        if (grp.byStatus || status.stance) { style.color = status.fill; style.fillColor = status.fill; }
        else {
          if (item.f.s.color) style.color = item.f.s.color;
          if (item.f.s.fillColor) style.fillColor = item.f.s.fillColor;
        }
        item.layer.setStyle(style);
        item.status = status.name;
        item.group.addLayer(item.layer);
      });
      document.querySelectorAll(".bm-current-view").forEach(function (n) { n.textContent = data.views[state.view].label; });
      document.querySelectorAll(".bm-current-day").forEach(function (n) { n.textContent = data.days[state.day].t; });
      document.querySelectorAll("input[name=bm-view]").forEach(function (n, i) { n.checked = i === state.view; });
      document.querySelectorAll("input.bm-day").forEach(function (n) { n.value = state.day; });
      document.querySelectorAll(".bm-why").forEach(function (n) { n.textContent = data.days[state.day].why; });
      map.closePopup();
      if (state.cmp) drawCompare();
      placeLabels();
      writeHash();
    }

    /* ---- URL fragment */
    function writeHash() {
      if (restoring) return;
      var c = map.getCenter();
      var parts = [
        "view=" + encodeURIComponent(data.views[state.view].id),
        "day=" + data.days[state.day].d,
        "z=" + map.getZoom(),
        "c=" + c.lat.toFixed(5) + "," + c.lng.toFixed(5),
        "layers=" + data.groups.filter(function (g, i) { return map.hasLayer(groups[i]); })
          .map(function (g) { return encodeURIComponent(g.key); }).join(",")
      ];
      if (state.sel) parts.push("sel=" + encodeURIComponent(state.sel));
      if (state.cmp) parts.push("cmp=" + [state.cmp.a, state.cmp.b, state.cmp.x.toFixed(2)].join(","));
      if (embed) parts.push("embed");
      history.replaceState(null, "", "#" + parts.join("&"));
    }

    function openFeature(id, keepView) {
      var item = items.filter(function (it) { return it.f.id === id; })[0];
      if (item && item.group.hasLayer(item.layer)) {
        if (!map.hasLayer(item.group)) item.group.addTo(map);
        var popup = item.layer.getPopup();
        popup.options.autoPan = !keepView;  // a restored view stays where the URL put it
        item.layer.openPopup();
        popup.options.autoPan = true;
        return true;
      }
      return false;
    }

    function restore(h) {
      restoring = true;
      var v = data.views.map(function (x) { return x.id; }).indexOf(h.view);
      if (v >= 0) state.view = v;
      if (h.day) {
        var best = -1;
        data.days.forEach(function (d, i) { if (d.d <= h.day) best = i; });
        if (best >= 0) state.day = best;
      }
      if (h.layers !== undefined) {
        var keys = h.layers.split(",");
        data.groups.forEach(function (g, i) {
          if (keys.indexOf(g.key) >= 0) groups[i].addTo(map); else map.removeLayer(groups[i]);
        });
      }
      if (h.cmp) {
        var p = h.cmp.split(",");
        state.cmp = {a: p[0], b: p[1], x: Math.min(1, Math.max(0, +p[2] || 0.5))};
      }
      if (h.c && h.z) {
        var ll = h.c.split(",").map(Number);
        if (isFinite(ll[0]) && isFinite(ll[1]) && isFinite(+h.z)) map.setView(ll, +h.z, {animate: false});
      }
      apply();
      syncControls();
      restoring = false;
      if (h.sel) openFeature(h.sel, true);
      writeHash();
    }

    /* ---- the side panel */
    var side = el("aside", "bm-side");
    side.id = "bm-side";
    side.setAttribute("aria-label", T("Map controls"));
    body.insertBefore(side, map.getContainer());

    var viewBox = section(side, T("Perspective") + " · " + T("As of"), true, "bm-panel");
    var views = el("fieldset", "bm-views");
    views.appendChild(el("legend", null, T("Perspective")));
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
    viewBox.appendChild(views);
    var time = el("fieldset", "bm-time");
    time.appendChild(el("legend", null, T("As of")));
    var slider = el("input");
    slider.type = "range";
    slider.min = 0;
    slider.max = nDays - 1;
    slider.value = state.day;
    slider.className = "bm-day";
    slider.setAttribute("aria-label", T("As of"));
    slider.addEventListener("input", function () { stop(); state.day = +slider.value; apply(); });
    var row = el("div", "bm-row");
    var play = button("bm-play", "▶ " + T("Play"));
    var timer = null;
    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      play.textContent = "▶ " + T("Play");
    }
    play.addEventListener("click", function () {
      if (timer) { stop(); return; }
      if (state.day >= nDays - 1) { state.day = 0; apply(); }
      play.textContent = "❚❚ " + T("Pause");
      timer = setInterval(function () {
        if (state.day >= nDays - 1) { stop(); return; }
        state.day += 1;
        apply();
      }, 1200);
    });
    row.appendChild(play);
    row.appendChild(el("output", "bm-current-day"));
    time.appendChild(slider);
    time.appendChild(row);
    time.appendChild(el("div", "bm-why"));
    viewBox.appendChild(time);

    var layerBox = section(side, T("Layers"), !embed, "bm-layers");
    var checks = data.groups.map(function (g, i) {
      var label = el("label");
      var input = el("input");
      input.type = "checkbox";
      input.value = g.key;
      input.checked = g.on;
      input.addEventListener("change", function () {
        if (input.checked) groups[i].addTo(map); else map.removeLayer(groups[i]);
        if (state.cmp) drawCompare();
        placeLabels();
        writeHash();
      });
      var text = el("span");
      text.innerHTML = g.label;  // escaped in Python
      label.appendChild(input);
      label.appendChild(text);
      layerBox.appendChild(label);
      return input;
    });

    var secBox = section(side, T("Sections"), false, "bm-sections");
    var search = el("input", "bm-search");
    search.type = "search";
    search.placeholder = T("Search sections");
    search.setAttribute("aria-label", T("Search sections"));
    var count = el("div", "bm-small");
    var list = el("ul", "bm-section-list");
    secBox.appendChild(search);
    secBox.appendChild(count);
    secBox.appendChild(list);
    var rows = data.sections.map(function (s) {
      var li = el("li");
      var b = button("bm-link", s.t);
      b.disabled = s.f === null;
      li.appendChild(b);
      if (s.d) li.appendChild(el("span", "bm-small", " " + s.d));
      if (s.f === null) li.appendChild(el("span", "bm-small bm-nogeom", " — " + T("no location on the map")));
      b.addEventListener("click", function () {
        var item = byIndex[s.f];
        if (!item) return;
        if (item.layer.getBounds) map.fitBounds(item.layer.getBounds(), {maxZoom: 13, padding: [40, 40]});
        else map.setView(item.layer.getLatLng(), 13);
        if (window.innerWidth < 700) body.classList.add("bm-side-hidden");
        setTimeout(function () { if (!openFeature(s.id)) placeLabels(); }, 0);
      });
      list.appendChild(li);
      return {s: s, li: li};
    });
    function filter() {
      var q = search.value.trim().toLowerCase();
      var n = 0;
      rows.forEach(function (r) {
        var on = !q || r.s.q.indexOf(q) >= 0 || r.s.t.toLowerCase().indexOf(q) >= 0;
        r.li.hidden = !on;
        if (on) n += 1;
      });
      count.textContent = T("{n} of {total} sections", {n: n, total: rows.length});
    }
    search.addEventListener("input", filter);
    filter();

    /* ---- compare two depictions: a swipe */
    var cmpBox = section(side, T("Compare two depictions"), false, "bm-compare");
    var selA = el("select", "bm-cmp-a"), selB = el("select", "bm-cmp-b");
    selA.setAttribute("aria-label", T("left"));
    selB.setAttribute("aria-label", T("right"));
    data.depictions.forEach(function (d, i) {
      [selA, selB].forEach(function (sel) {
        var o = el("option", null, d.t);
        o.value = d.id;
        sel.appendChild(o);
      });
      if (i === 1) selB.value = d.id;
    });
    var swipeOn = el("input", "bm-cmp-on");
    swipeOn.type = "checkbox";
    var swipeLabel = el("label");
    swipeLabel.appendChild(swipeOn);
    swipeLabel.appendChild(document.createTextNode(" " + T("Swipe to compare")));
    var swipe = el("input", "bm-swipe");
    swipe.type = "range";
    swipe.min = 0;
    swipe.max = 100;
    swipe.value = 50;
    swipe.setAttribute("aria-label", T("Swipe to compare"));
    [[T("left"), selA], [T("right"), selB]].forEach(function (pair) {
      var l = el("label", "bm-row");
      l.appendChild(el("span", "bm-small", pair[0] + " "));
      l.appendChild(pair[1]);
      cmpBox.appendChild(l);
    });
    cmpBox.appendChild(swipeLabel);
    cmpBox.appendChild(swipe);
    var divider = el("div", "bm-divider");
    var tagA = el("span", "bm-divider-a"), tagB = el("span", "bm-divider-b");
    divider.appendChild(tagA);
    divider.appendChild(tagB);
    map.getContainer().appendChild(divider);
    var copies = L.layerGroup().addTo(map);
    var rend = {a: L.svg({pane: "bm-cmp-a"}), b: L.svg({pane: "bm-cmp-b"})};

    function depGroup(id) {
      var d = data.depictions.filter(function (x) { return x.id === id; })[0];
      return d ? d.g : -1;
    }
    function drawCompare() {
      copies.clearLayers();
      var ga = depGroup(state.cmp.a), gb = depGroup(state.cmp.b);
      data.depictions.forEach(function (d) { if (map.hasLayer(groups[d.g])) map.removeLayer(groups[d.g]); });
      [["a", ga], ["b", gb]].forEach(function (side2) {
        items.forEach(function (item) {
          if (item.f.g !== side2[1] || !item.group.hasLayer(item.layer)) return;
          var style = Object.assign({}, item.f.s, {
            pane: "bm-cmp-" + side2[0], renderer: rend[side2[0]], interactive: false,
            dashArray: item.layer.options.dashArray
          });
          copies.addLayer(makeLayer(data.topo, arcs, item.geom, style));
        });
      });
      var ta = data.depictions.filter(function (x) { return x.id === state.cmp.a; })[0];
      var tb = data.depictions.filter(function (x) { return x.id === state.cmp.b; })[0];
      tagA.textContent = "◀ " + (ta ? ta.t : "");
      tagB.textContent = (tb ? tb.t : "") + " ▶";
      clip();
    }
    function clip() {
      if (!state.cmp) return;
      var size = map.getSize();
      var x = Math.round(size.x * state.cmp.x);
      var nw = map.containerPointToLayerPoint([0, 0]);
      var se = map.containerPointToLayerPoint(size);
      var cx = map.containerPointToLayerPoint([x, 0]).x;
      map.getPane("bm-cmp-a").style.clip = "rect(" + [nw.y, cx, se.y, nw.x].join("px,") + "px)";
      map.getPane("bm-cmp-b").style.clip = "rect(" + [nw.y, se.x, se.y, cx].join("px,") + "px)";
      divider.style.left = x + "px";
    }
    function setCompare(on) {
      if (on) {
        state.cmp = {a: selA.value, b: selB.value, x: +swipe.value / 100};
        body.classList.add("bm-comparing");
        drawCompare();
      } else if (state.cmp) {
        state.cmp = null;
        copies.clearLayers();
        body.classList.remove("bm-comparing");
        data.depictions.forEach(function (d) { if (checks[d.g].checked) groups[d.g].addTo(map); });
      }
      placeLabels();
      writeHash();
    }
    swipeOn.addEventListener("change", function () { setCompare(swipeOn.checked); });
    [selA, selB].forEach(function (sel) { sel.addEventListener("change", function () { if (state.cmp) setCompare(true); }); });
    swipe.addEventListener("input", function () { if (state.cmp) { state.cmp.x = +swipe.value / 100; clip(); writeHash(); } });
    map.on("move zoom viewreset resize", clip);

    var legendBox = section(side, T("Legend"), window.innerWidth >= 700 && !embed, "bm-legend-box");
    var legend = el("div", "bm-legend");
    legend.innerHTML = data.legend;  // escaped in Python
    legendBox.appendChild(legend);

    function syncControls() {
      data.groups.forEach(function (g, i) {
        checks[i].checked = map.hasLayer(groups[i]) || (!!state.cmp && data.depictions.some(function (d) { return d.g === i; }) && checks[i].checked);
      });
      swipeOn.checked = !!state.cmp;
      if (state.cmp) {
        selA.value = state.cmp.a;
        selB.value = state.cmp.b;
        swipe.value = Math.round(state.cmp.x * 100);
        body.classList.add("bm-comparing");
        drawCompare();
      }
    }

    L.DomEvent.disableClickPropagation(side);
    L.DomEvent.disableScrollPropagation(side);

    /* ---- buttons on the map: panel, reset view */
    var Buttons = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var box = el("div", "leaflet-bar bm-buttons");
        var reset = button("bm-reset", "⤢", T("Reset view"));
        reset.addEventListener("click", function () { fit(); });
        box.appendChild(reset);
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    new Buttons().addTo(map);
    var Toggle = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var box = el("div", "leaflet-bar bm-buttons");
        var b = button("bm-toggle", "☰ " + T("Map controls"), T("Show panel"));
        b.setAttribute("aria-controls", "bm-side");
        function label() {
          var hidden = body.classList.contains("bm-side-hidden");
          b.setAttribute("aria-expanded", hidden ? "false" : "true");
          b.title = hidden ? T("Show panel") : T("Hide panel");
        }
        b.addEventListener("click", function () {
          body.classList.toggle("bm-side-hidden");
          label();
          map.invalidateSize({pan: false});
          placeLabels();
        });
        label();
        box.appendChild(b);
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    new Toggle().addTo(map);

    /* ---- scale bar: metric only, its units in the page's language (Leaflet's says "m"/"km"/"mi") */
    var Scale = L.Control.Scale.extend({
      _updateMetric: function (maxMeters) {
        var meters = this._getRoundNum(maxMeters);
        var label = meters < 1000 ? T("{n} m", {n: meters.toLocaleString(data.lang)})
          : T("{n} km", {n: (meters / 1000).toLocaleString(data.lang)});
        this._updateScale(this._mScale, label, meters / maxMeters);
      }
    });
    var scale = new Scale({metric: true, imperial: false, position: "bottomleft"}).addTo(map);
    scale.getContainer().setAttribute("aria-label", T("Scale"));

    if (embed) {
      var credit = el("div", "bm-credit");
      credit.innerHTML = data.credit;  // escaped in Python
      credit.title = T("Sources and disclaimer");
      credit.addEventListener("click", function () { credit.classList.toggle("bm-open"); });
      L.DomEvent.disableClickPropagation(credit);
      map.getContainer().appendChild(credit);
    }

    function fit() {
      if (!data.bounds) return;
      map.fitBounds(data.bounds, {paddingTopLeft: [52, 52], paddingBottomRight: [24, embed ? 40 : 30], animate: false});
    }

    data.groups.forEach(function (g, i) { if (g.on) groups[i].addTo(map); });
    map.invalidateSize({pan: false});
    fit();
    map.on("moveend", function () { placeLabels(); writeHash(); });
    // The footer unfolds, the panel folds, the phone turns: the map follows its box.
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize({pan: false}); placeLabels(); }).observe(map.getContainer());
    }
    map.on("zoomend", placeLabels);
    window.addEventListener("hashchange", function () {
      var h = readHash();
      var c = map.getCenter();
      var same = "c=" + c.lat.toFixed(5) + "," + c.lng.toFixed(5);
      if (location.hash.indexOf(same) < 0 || h.view !== data.views[state.view].id || h.day !== data.days[state.day].d) restore(h);
    });
    restore(hash);
    var api = window.bordermap = {map: map, state: state, apply: apply, items: items, groups: groups, labels: labels,
      placeLabels: placeLabels, fit: fit, restore: restore, ready: false};
    // The page's layout settles after this script: size the map again, then fit (unless the URL says where).
    setTimeout(function () {
      map.invalidateSize({pan: false});
      if (!(hash.c && hash.z)) fit();
      placeLabels();
      api.ready = true;
    }, 0);
  };
})();
