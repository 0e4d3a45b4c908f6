                  // govkg: search, and filters by class, province and date
                  var govkgShown = Object.create(null);
                  var govkgSearch = {text: null, hits: [], next: 0};
                  function govkgEl(id) { return document.getElementById(id); }
                  // date: "YYYY-MM-DD", or "--MM-DD" (year unknown: in the range
                  // when that day falls in it in some year of the range)
                  function govkgDateIn(date, from, to) {
                      if (!date || (!from && !to)) return true;
                      if (date.slice(0, 2) !== "--") {
                          var day = date.slice(0, 10);
                          return (!from || day >= from) && (!to || day <= to);
                      }
                      if (!from || !to) return true;
                      var md = date.slice(2, 7);
                      var years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
                      var fromMd = from.slice(5, 10), toMd = to.slice(5, 10);
                      if (years >= 2) return true;
                      if (years === 1) return md >= fromMd || md <= toMd;
                      return years === 0 && md >= fromMd && md <= toMd;
                  }
                  function govkgCompute() {
                      var kinds = {};
                      document.querySelectorAll("input.govkg-kind").forEach(function (box) {
                          kinds[box.value] = box.checked;
                      });
                      var province = govkgEl("govkg-province").value;
                      var from = govkgEl("govkg-from").value, to = govkgEl("govkg-to").value;
                      var shown = Object.create(null), count = 0;
                      nodes.get().forEach(function (node) {
                          if (kinds[node.govkgKind] === false) return;
                          if (province && (node.govkgProvinces || []).indexOf(province) < 0) return;
                          if (!govkgDateIn(node.govkgDate, from, to)) return;
                          shown[node.id] = true;
                          count += 1;
                      });
                      govkgShown = shown;
                      govkgEl("govkg-count").textContent =
                          "显示 " + count + " / " + nodes.length + " 个节点";
                  }
                  govkgCompute();
                  var govkgNodeView = new vis.DataView(nodes, {filter: function (node) {
                      return govkgShown[node.id] === true;
                  }});
                  var govkgEdgeView = new vis.DataView(edges, {filter: function (edge) {
                      return govkgShown[edge.from] === true && govkgShown[edge.to] === true;
                  }});
                  data = {nodes: govkgNodeView, edges: govkgEdgeView};
                  function govkgApply() {
                      govkgCompute();
                      govkgNodeView.refresh();
                      govkgEdgeView.refresh();
                  }
                  function govkgFind(text) {
                      var query = text.trim().toLowerCase(), status = govkgEl("govkg-status");
                      if (!query) { status.textContent = ""; return; }
                      if (query !== govkgSearch.text) {
                          var exact = [], partial = [];
                          nodes.get().forEach(function (node) {
                              var name = String(node.govkgName || "").toLowerCase();
                              if (name === query) exact.push(node);
                              else if (name.indexOf(query) >= 0) partial.push(node);
                          });
                          govkgSearch = {text: query, hits: exact.concat(partial), next: 0};
                      }
                      var hits = govkgSearch.hits.filter(function (node) {
                          return govkgShown[node.id] === true;
                      });
                      if (!govkgSearch.hits.length) {
                          status.textContent = "未找到“" + text.trim() + "”";
                          return;
                      }
                      if (!hits.length) {
                          status.textContent = "“" + text.trim() + "”的 " +
                              govkgSearch.hits.length + " 个匹配都被筛选条件隐藏";
                          return;
                      }
                      var node = hits[govkgSearch.next % hits.length];
                      govkgSearch.next += 1;
                      network.selectNodes([node.id]);
                      network.focus(node.id, {scale: 1.3, animation: {duration: 500}});
                      status.textContent = (hits.length > 1 ? "匹配 " +
                          ((govkgSearch.next - 1) % hits.length + 1) + "/" + hits.length +
                          "（回车查看下一个）：" : "") + node.govkgName;
                  }
                  (function () {
                      var names = govkgEl("govkg-names"), seen = Object.create(null);
                      nodes.get().forEach(function (node) {
                          if (node.govkgName && !seen[node.govkgName]) {
                              seen[node.govkgName] = true;
                              var option = document.createElement("option");
                              option.value = node.govkgName;
                              names.appendChild(option);
                          }
                      });
                      govkgEl("govkg-search-form").addEventListener("submit", function (event) {
                          event.preventDefault();
                          govkgFind(govkgEl("govkg-search").value);
                      });
                      document.querySelectorAll("input.govkg-kind").forEach(function (box) {
                          box.addEventListener("change", govkgApply);
                      });
                      ["govkg-province", "govkg-from", "govkg-to"].forEach(function (id) {
                          govkgEl(id).addEventListener("change", govkgApply);
                      });
                      govkgEl("govkg-reset").addEventListener("click", function () {
                          document.querySelectorAll("input.govkg-kind").forEach(function (box) {
                              box.checked = true;
                          });
                          govkgEl("govkg-province").value = "";
                          govkgEl("govkg-from").value = "";
                          govkgEl("govkg-to").value = "";
                          govkgEl("govkg-status").textContent = "";
                          govkgApply();
                          network.fit();
                      });
                  })();
