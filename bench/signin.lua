-- wrk script: failed sign-ins with ever-new unknown addresses, so each one
-- costs a full argon2id check (the dummy hash) and no account gets locked.
local n = 0
local origin = os.getenv("ORIGIN")
request = function()
  n = n + 1
  local body = "email=bench" .. n .. "-" .. math.random(1000000000) .. "%40example.com&password=not+the+password"
  return wrk.format("POST", "/api/account/sign-in",
    { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = origin }, body)
end
