// The map of schools and clusters (organisations.map): Shanghai's districts from the vendored GeoJSON, every school
// a point coloured by its cluster and shaped by its tier, lines from each cluster's members to its lead, and, on the
// layout advisor's page, the proposed clusters as a second set of lines. Data from #map-data (and #map-proposal);
// the filters of #map-filters redraw without a request; a click on a school opens its record, and a chosen cluster is linked beside the filters.
(() => {
  const element = document.getElementById("school-map");
  if (!element) return;
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const proposalElement = document.getElementById("map-proposal");
  const proposal = proposalElement ? JSON.parse(proposalElement.textContent) : null;
  const palette = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#0dcaf0",
    "#6610f2", "#ffc107", "#795548", "#607d8b"];
  const colour = (clusterId) => (clusterId == null ? "#adb5bd" : palette[clusterId % palette.length]);
  const symbols = { quality: "circle", weaker: "triangle", none: "circle" };
  const schools = new Map(data.schools.map((s) => [s.id, s]));
  const clusters = new Map(data.clusters.map((c) => [c.id, c]));
  const form = document.getElementById("map-filters");
  const count = document.getElementById("map-count");

  const chosen = () => {
    const value = (name) => (form ? form.elements[name].value : "");
    return { district: value("district"), stage: value("stage"), cluster: value("cluster"), status: value("status") };
  };
  const shows = (school, f) =>
    (!f.district || school.district === f.district) && (!f.stage || school.stage === f.stage) &&
    (!f.cluster || school.clusters.includes(Number(f.cluster))) &&
    (!f.status || school.statuses.includes(f.status));
  const clusterShows = (cluster, f) =>
    (!f.district || cluster.district === f.district) && (!f.cluster || cluster.id === Number(f.cluster)) &&
    (!f.status || cluster.status === f.status);

  const point = (s) => ({
    name: s.name, value: [s.lon, s.lat], url: s.url, symbol: symbols[s.tier] || "circle",
    symbolSize: s.tier === "none" ? 6 : 10, itemStyle: { color: colour(s.tier === "none" ? null : s.cluster) },
  });
  const lines = (groups, f, dashed) => groups.flatMap((g) => {
    const lead = schools.get(g.lead);
    if (!lead) return [];
    return g.members.filter((id) => id !== g.lead && schools.has(id) && shows(schools.get(id), f)).map((id) => {
      const member = schools.get(id);
      return {
        coords: [[member.lon, member.lat], [lead.lon, lead.lat]], url: g.url, name: g.name,
        lineStyle: { color: dashed ? "#212529" : colour(g.id), type: dashed ? "dashed" : "solid" },
      };
    });
  });

  const draw = (chart) => {
    const f = chosen();
    const shown = data.schools.filter((s) => shows(s, f));
    if (count) count.textContent = `${count.dataset.label}: ${shown.length}`;
    const link = document.getElementById("map-cluster-link");
    const cluster = clusters.get(Number(f.cluster));
    if (link) {
      link.hidden = !cluster;
      if (cluster) { link.href = cluster.url; link.textContent = cluster.name; }
    }
    const series = [];
    for (const tier of ["quality", "weaker", "none"]) {
      series.push({
        name: data.labels[tier], type: "scatter", coordinateSystem: "geo", zlevel: 2,
        data: shown.filter((s) => s.tier === tier).map(point),
      });
    }
    series.push({
      name: data.labels.current, type: "lines", coordinateSystem: "geo", zlevel: 1, silent: true,
      lineStyle: { width: 1, opacity: 0.7 }, data: lines(data.clusters.filter((c) => clusterShows(c, f)), f, false),
    });
    if (proposal) {
      series.push({
        name: data.labels.proposed, type: "lines", coordinateSystem: "geo", zlevel: 1, silent: true,
        lineStyle: { width: 1.5, opacity: 0.9 }, data: lines(proposal.clusters, f, true),
      });
    }
    chart.setOption({ series }, { replaceMerge: ["series"] });
  };

  fetch(element.dataset.geojson).then((response) => response.json()).then((geojson) => {
    echarts.registerMap("shanghai", geojson);
    const chart = echarts.init(element);
    const located = data.schools.length ? data.schools : null;
    const fit = located ? {
      boundingCoords: [
        [Math.min(...located.map((s) => s.lon)) - 0.03, Math.max(...located.map((s) => s.lat)) + 0.03],
        [Math.max(...located.map((s) => s.lon)) + 0.03, Math.min(...located.map((s) => s.lat)) - 0.03],
      ],
    } : {};
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: (p) => (p.seriesType === "lines" ? p.data.name : p.name),
      },
      legend: { top: 4, left: 4, orient: "vertical" },
      geo: {
        map: "shanghai", roam: true, ...(data.schools.length > 0 && data.clusters.length <= 3 ? fit : {}),
        label: { show: true, fontSize: 10, color: "#6c757d" },
        itemStyle: { areaColor: "#f8f9fa", borderColor: "#adb5bd" },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#e9ecef" } },
      },
    });
    draw(chart);
    element.dataset.drawn = "1";
    chart.on("click", (p) => { if (p.data && p.data.url) window.location.href = p.data.url; });
    if (form) form.addEventListener("change", () => draw(chart));
    window.addEventListener("resize", () => chart.resize());
  });
})();
