                  // govkg: tooltips arrive as escaped HTML; render them as elements
                  function govkgTip(text) {
                      var div = document.createElement("div");
                      div.style.maxWidth = "420px";
                      div.style.whiteSpace = "normal";
                      div.innerHTML = text;
                      return div;
                  }
                  [nodes, edges].forEach(function (set) {
                      set.update(set.get().filter(function (item) {
                          return typeof item.title === "string";
                      }).map(function (item) {
                          return {id: item.id, title: govkgTip(item.title)};
                      }));
                  });
