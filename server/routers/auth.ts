import { z } from 'zod';
import { me, signIn, signOut, signUp } from '../services/auth';
import { anonymousProcedure, router } from '../trpc';

const EmailSchema = z.string().trim().max(254).pipe(z.email('メールアドレスの形式が正しくありません。'));
const PasswordSchema = z.string().min(8, 'パスワードは8文字以上にしてください。').max(200);

export const authRouter = router({
  me: anonymousProcedure.query(({ ctx }) => me(ctx)),
  signUp: anonymousProcedure
    .input(z.strictObject({ email: EmailSchema, password: PasswordSchema, name: z.string().trim().min(1, '表示名を入力してください。').max(40) }))
    .mutation(({ ctx, input }) => signUp(ctx, input)),
  signIn: anonymousProcedure
    .input(z.strictObject({ email: z.string().max(254), password: z.string().max(200) }))
    .mutation(({ ctx, input }) => signIn(ctx, input)),
  signOut: anonymousProcedure.mutation(({ ctx }) => signOut(ctx)),
});
