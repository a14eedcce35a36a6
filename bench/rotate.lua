-- wrk script: request the paths listed in $PATHS_FILE in turn, so a run covers
-- many different pages instead of one hot URL. $COOKIE, if set, is sent as a
-- Cookie header. $METHOD POST sends each as an empty form from the shop's own
-- origin (a server function call).
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  paths[#paths + 1] = line
end
local headers = { ["Accept-Encoding"] = "gzip, br" }
local cookie = os.getenv("COOKIE")
if cookie and cookie ~= "" then
  headers["Cookie"] = cookie
end
local method = os.getenv("METHOD") or "GET"
local body = nil
if method == "POST" then
  headers["Origin"] = "http://" .. wrk.host .. ":" .. wrk.port
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  body = ""
end
local n = math.random(#paths)
request = function()
  n = n % #paths + 1
  return wrk.format(method, paths[n], headers, body)
end
