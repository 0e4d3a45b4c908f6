                  // govkg: mark the page once the network has drawn (tests wait for it)
                  network.once("afterDrawing", function () {
                      document.body.setAttribute(
                          "data-govkg-ready", govkgNodeView.getIds().length + " nodes");
                  });
