COUNTER = 0
_state = None


class Client:
    async def get(self, url):
        async with self.session.request(url) as resp, self.lock:
            data = await resp.read()
        await self.cache.put(url, data)
        result = await self.decode(data)
        return await self.finish(result)

    def counts(self):
        global COUNTER, _state
        COUNTER += 1
        _state = self.snapshot()

        def inner():
            nonlocal result
            result = self.other()
        result = None
        inner()
        return result


async def top_level(client):
    return await client.get("x")
