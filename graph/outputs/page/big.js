                  // govkg: big graph - stop the simulation once it has settled
                  network.once("stabilizationIterationsDone", function () {
                      network.setOptions({physics: {enabled: false}});
                  });
