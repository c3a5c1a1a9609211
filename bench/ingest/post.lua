-- wrk script: a JSON POST of BODY_BYTES bytes (default ~300) to the endpoint given on the command line.
local size = tonumber(os.getenv("BODY_BYTES") or "300")
local prefix = '{"event":"order.created","id":12345,"data":"'
local suffix = '"}'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = prefix .. string.rep("x", math.max(0, size - #prefix - #suffix)) .. suffix

-- Any non-2xx answer is counted by wrk as "Non-2xx or 3xx responses"; the summary shows it.
