-- wrk reporter: requests/s and latency percentiles (wrk's own --latency table has no p95).
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("requests=%d errors=%d rps=%.0f p50=%.2fms p95=%.2fms p99=%.2fms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
