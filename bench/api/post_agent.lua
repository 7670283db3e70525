-- wrk script: POST /api/agents with a small valid body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Bench agent","system_prompt":"You answer questions about opening hours.","settings":{"temperature":0.5}}'

