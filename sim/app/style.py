"""The page's style sheet: readable from the back of the room, the network view the largest part."""

CSS = """
.opgaven-page { font-size: 15px; color: #222; padding: 0 10px; }
.opgaven-page h1 { font-size: 21px; margin: 0 14px 0 0; font-weight: 600; }
.opgaven-page h3 { font-size: 16px; margin: 10px 0 4px; font-weight: 600; }
.opgaven-top { display: flex; align-items: center; gap: 6px; height: 52px; }
.opgaven-main { display: flex; gap: 12px; align-items: flex-start; }
.opgaven-controls {
  width: 250px; flex: none; overflow-y: auto; max-height: calc(100vh - 60px); padding-right: 4px;
}
.opgaven-controls .v-input { margin-top: 6px; }
.opgaven-controls .v-label, .opgaven-controls .v-select__selection { font-size: 15px; }
.opgaven-select { margin-top: 10px !important; }
.opgaven-network {
  flex: none; width: min(calc(100vh - 62px), 58vw); height: min(calc(100vh - 62px), 58vw);
  border: 1px solid #ddd; border-radius: 4px; background: white;
}
.opgaven-side {
  flex: 1; min-width: 280px; overflow-y: auto; max-height: calc(100vh - 60px); padding-right: 4px;
}
.opgaven-buttons { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.opgaven-page .opgaven-buttons .v-btn { padding: 0 10px; min-width: 0; }
.opgaven-step { font-size: 22px; font-weight: 600; margin: 6px 0 2px; }
.opgaven-monitors { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; margin-bottom: 6px; }
.opgaven-monitor {
  border: 1px solid #ccc; border-radius: 4px; padding: 3px 8px; display: flex;
  flex-direction: column; background: #fafafa;
}
.opgaven-monitor span { font-size: 14px; color: #444; }
.opgaven-monitor b { font-size: 22px; }
.opgaven-legend { font-size: 14px; line-height: 1.3; }
.opgaven-legend h3 { font-size: 15px; margin: 6px 0 2px; }
.opgaven-legend ul { list-style: none; padding: 0; margin: 0; }
.opgaven-legend ul.stages { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8px; }
.opgaven-legend li, .opgaven-chart li { display: flex; align-items: center; gap: 6px; }
.opgaven-legend svg, .opgaven-chart li svg { flex: none; }
.opgaven-chart { font-size: 14px; margin-top: 8px; }
.opgaven-chart ul { list-style: none; padding: 0; margin: 0; }
.opgaven-tourcard {
  border: 3px solid #0070c0; border-radius: 6px; padding: 8px 10px; margin-bottom: 8px;
  background: #eef5fc; font-size: 17px;
}
.opgaven-tourcard p { margin: 0 0 6px; }
.opgaven-error { color: #b00020; font-size: 14px; margin: 4px 0; }
.opgaven-note { color: #555; font-size: 14px; margin: 6px 0; }
.opgaven-info { max-width: 860px; }
.opgaven-info p, .opgaven-info li { font-size: 17px; line-height: 1.5; }
.opgaven-info h3 { font-size: 20px; margin-top: 14px; }
.opgaven-info strong { font-weight: 700; }
.opgaven-compare .opgaven-pair { display: flex; gap: 12px; }
.opgaven-half { flex: 1; min-width: 0; }
.opgaven-half .opgaven-network {
  width: 100%; height: min(calc(100vh - 310px), 46vw); min-height: 300px;
}
.opgaven-compare .opgaven-monitors { grid-template-columns: repeat(4, 1fr); margin-top: 6px; }
.opgaven-compare-bar { display: flex; align-items: center; gap: 14px; height: 60px; }
.opgaven-compare-speed { width: 240px; flex: none; }
.opgaven-compare-speed .opgaven-slider-label { margin-top: 0; }
.opgaven-compare-bar .opgaven-step { margin: 0 8px; }
.opgaven-legend.opgaven-legend-row ul { display: flex; flex-wrap: wrap; column-gap: 14px; }
.opgaven-legend.opgaven-legend-row h3 { display: none; }
.opgaven-ring { animation: opgaven-pulse 1.6s ease-in-out infinite; }
@keyframes opgaven-pulse { 50% { stroke-opacity: 0.35; } }
.opgaven-page .v-btn { text-transform: none; letter-spacing: normal; font-size: 15px; }
.opgaven-slider-label { font-size: 15px; margin-top: 8px; }
.opgaven-controls .v-slider { margin: 0 4px; }
.opgaven-controls .opgaven-step { width: 100%; }
"""
