-- wrk script: ~2 KiB JSON orders made of words (names, addresses, SKUs), different in every
-- request, as real payloads are; a constant body would cost the search index next to nothing.
math.randomseed(os.time())
local words = {}
for i = 1, 5000 do
    local w = {}
    for c = 1, math.random(3, 10) do w[c] = string.char(math.random(97, 122)) end
    words[i] = table.concat(w)
end
local function word() return words[math.random(#words)] end
local n = 0
request = function()
    n = n + 1
    local parts = { '{"event":"order.created","ref":"ref-', n, '","customer":{"name":"', word(), ' ', word(),
        '","email":"', word(), '@example.com"},"items":[' }
    local size = 120
    local first = true
    while size < 2000 do
        local item = string.format('%s{"sku":"SKU-%d","name":"%s %s %s","qty":%d,"price":%d.%02d}',
            first and '' or ',', math.random(1000000), word(), word(), word(), math.random(9),
            math.random(99), math.random(99))
        parts[#parts + 1] = item
        size = size + #item
        first = false
    end
    parts[#parts + 1] = ']}'
    return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, table.concat(parts))
end
