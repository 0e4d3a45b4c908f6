                  // govkg: labels. The most connected nodes (govkgTop) are labelled at every zoom,
                  // their text kept LABEL_PX pixels high on screen; the others show their label
                  // once zoomed in to ALL_LABELS_SCALE, or while the pointer is over them.
                  (function () {
                      var LABEL_PX = 13, ALL_LABELS_SCALE = 0.9;
                      var top = nodes.get({filter: function (n) { return n.govkgTop === true; }});
                      var allShown = null, topSize = null;
                      function govkgLabels() {
                          var scale = network.getScale();
                          if (!(scale > 0)) return;
                          var show = scale >= ALL_LABELS_SCALE, updates = [];
                          if (show !== allShown) {
                              allShown = show;
                              nodes.forEach(function (n) {
                                  if (n.govkgTop !== true) updates.push({id: n.id, label: show ? n.govkgLabel : ""});
                              });
                          }
                          var size = Math.round(Math.max(14, LABEL_PX / scale));
                          if (size !== topSize) {
                              topSize = size;
                              top.forEach(function (n) {
                                  updates.push({id: n.id, font: {size: size, strokeWidth: Math.round(size / 4),
                                                                 strokeColor: "#ffffff"}});
                              });
                          }
                          if (updates.length) nodes.update(updates);
                      }
                      var lastScale = null;  // after every frame: anything to do when the zoom changed
                      network.on("afterDrawing", function () {
                          var scale = network.getScale();
                          if (scale !== lastScale) { lastScale = scale; govkgLabels(); }
                      });
                      network.on("hoverNode", function (p) {
                          var n = nodes.get(p.node);
                          if (n && n.govkgTop !== true && !allShown) nodes.update({id: n.id, label: n.govkgLabel});
                      });
                      network.on("blurNode", function (p) {
                          var n = nodes.get(p.node);
                          if (n && n.govkgTop !== true && !allShown) nodes.update({id: n.id, label: ""});
                      });
                  })();
